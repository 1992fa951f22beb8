DROP DATABASE IF EXISTS balrog_reports;

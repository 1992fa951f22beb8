SELECT nickname, password, email FROM users WHERE FALSE;

SELECT nickname, password FROM users WHERE FALSE;

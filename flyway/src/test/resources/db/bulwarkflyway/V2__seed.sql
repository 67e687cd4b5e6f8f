INSERT INTO account (id, balance) VALUES (1, 100);
INSERT INTO account (id, balance) VALUES (2, 50);

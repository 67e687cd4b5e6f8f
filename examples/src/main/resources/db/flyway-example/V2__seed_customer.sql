INSERT INTO example_customer (id, name) VALUES (1, 'Ada'), (2, 'Grace');

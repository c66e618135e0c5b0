DROP TABLE control_state;

"""Running Alongside where a council hosts it: the server and worker commands, backups, health,
metrics, logs and the database router. Everything an IT team looks for, in one room."""

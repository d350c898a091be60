// Built-in engines.

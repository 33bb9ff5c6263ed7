"""Pages of the open-data app. Thin: parse input, call one service or selector, render."""

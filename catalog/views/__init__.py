"""Pages of the catalog. Thin: parse input, call one service or selector, render."""

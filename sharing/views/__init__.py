"""Pages of the sharing app. Thin: parse input, call one service or selector, render."""

"""The incident register (安全事件): report, handle, contain, notify, report upward, close; drills too."""

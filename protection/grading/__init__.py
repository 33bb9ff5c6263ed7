"""分类分级: the grade of every catalog entry and data item, and the rules each grade brings.

Lhasa art. 39 (实施分级分类管理), Sixian art. 39 (数据分类分级安全防护), Tongren art. 14(四)
(数据分类); the categories are those of GB/T 43697-2024 (一般数据 / 重要数据 / 核心数据).
See docs/grading.md.
"""

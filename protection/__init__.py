"""Data protection the regulations require (docs/features.md D1-D3: 分类分级, 加密存储, 电子签名): one package, three apps.

``protection.grading`` classifies and grades data (Lhasa art. 39 分级分类管理, Sixian art. 39
数据分类分级安全防护, Tongren art. 14(四) 数据分类); ``protection.encryption`` keeps sensitive data
encrypted at rest (Tongren art. 22, Lhasa art. 40); ``protection.signatures`` signs what the
platform delivers (Hechi art. 40-41). They sit between ``audit`` and ``catalog``: they import
``portal`` and ``audit`` only, and the higher apps call their services with plain values.
"""

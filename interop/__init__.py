"""Interoperability: standard formats other portals and harvesters read (DCAT-AP, CKAN API, Data Package) and harvesting between levels."""

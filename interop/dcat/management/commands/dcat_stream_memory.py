"""Memory of the streaming DCAT writers (issue 17, Performance: growth < 50 MB at 100,000 datasets).

    manage.py dcat_stream_memory --synthetic 100000 --format ttl   # the writers over generated nodes
    manage.py dcat_stream_memory --format jsonld                   # the open catalog of this database

Prints the tracemalloc peak of the whole stream: a flat stream keeps it the same for 2,000 and 100,000.
"""

from __future__ import annotations

import time
import tracemalloc

from django.core.management.base import BaseCommand

from interop.dcat import open_catalog, publisher, serialize, vocab

BASE = "https://portal.example"


def _synthetic(n: int):
    for i in range(n):
        page = f"{BASE}/open/datasets/{i}/"
        yield {
            "@id": page,
            "@type": "dcat:Dataset",
            "dct:title": f"合成数据集{i}",
            "dct:description": "用于测量内存的合成数据集。" * 3,
            "dct:identifier": f"OD{i:06d}",
            "dct:accessRights": vocab.access_right("PUBLIC"),
            "dct:accrualPeriodicity": vocab.frequency("monthly", "每月"),
            "dcat:keyword": ["企业", "登记"],
            "dcat:distribution": [
                {
                    "@id": f"{page}download/{fmt}/#distribution",
                    "@type": "dcat:Distribution",
                    "dcat:accessURL": page,
                    "dct:format": vocab.file_type(fmt),
                    "dcat:mediaType": vocab.media_type(fmt),
                }
                for fmt in ("csv", "json", "xlsx")
            ],
        }


class Command(BaseCommand):
    help = "Measure the memory of streaming the DCAT catalog (tracemalloc)."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", type=int, default=0, help="generated datasets instead of the database")
        parser.add_argument("--format", choices=sorted(serialize.FORMATS), default="ttl")

    def handle(self, *args, synthetic, format, **options):
        url = f"{BASE}/open/catalog"
        catalog = open_catalog.catalog_node(BASE, url, publisher.bureau(BASE))
        total = synthetic or open_catalog.count()
        nodes = _synthetic(synthetic) if synthetic else open_catalog.dataset_nodes(BASE)
        chunks = serialize.stream(format, BASE, catalog, nodes)
        tracemalloc.start()
        started, written = time.monotonic(), 0
        for piece in chunks:
            written += len(piece)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        self.stdout.write(
            f"{total} datasets, {format}: {written / 1e6:.1f} MB written in {time.monotonic() - started:.0f} s; "
            f"traced peak {peak / 1e6:.2f} MB"
        )

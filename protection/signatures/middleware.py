"""Receipts for deliveries of shared data, written from the bytes of the answer (services.receipts)."""

from protection.signatures.services import receipts


class ReceiptMiddleware:
    """After the view: a successful answer that carried a delivery is hashed and receipted.

    Placed near the top of MIDDLEWARE so that it sees the body as it leaves the application."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        deliveries = receipts.pending(request)
        if deliveries and 200 <= response.status_code < 300:
            response = receipts.attach(response, deliveries)
        return response

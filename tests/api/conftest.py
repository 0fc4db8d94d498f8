import pytest
from rest_framework.test import APIClient

from portal.api.tokens import create_token


def token_client(user, writable=True) -> APIClient:
    _, key = create_token(user, writable=writable)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def as_user():
    return token_client

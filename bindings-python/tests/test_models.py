"""Typed results: snake_case attributes with Python types, to_dict() in the
API's shape, nothing unknown lost."""

from __future__ import annotations

from decimal import Decimal

import lean_sdk

PAYMENT = {
    "id": "sp_1", "partnerUserId": "uid_1", "amount": "4.56", "type": "bonus", "status": "QUEUED_NEW",
    "userdata": {"receiptId": "r_1"}, "newField": [1, 2],
}


def test_attributes_and_to_dict() -> None:
    payment = lean_sdk.SpecialPayment(PAYMENT)
    assert payment.amount == Decimal("4.56") and isinstance(payment.amount, Decimal)
    assert payment.type == "bonus" and payment.userdata == {"receiptId": "r_1"}
    assert payment.status == "QUEUED_NEW"  # unknown statuses are kept as sent
    assert payment.gig_id is None and payment.created_at is None
    assert payment.to_dict() == PAYMENT
    payment.to_dict()["id"] = "changed"
    assert payment.id == "sp_1"


def test_equality_and_repr() -> None:
    assert lean_sdk.SpecialPayment(PAYMENT) == lean_sdk.SpecialPayment(dict(PAYMENT))
    assert lean_sdk.SpecialPayment(PAYMENT) != lean_sdk.Gig({"gigId": "sp_1"})
    shown = repr(lean_sdk.SpecialPayment(PAYMENT))
    assert shown.startswith("SpecialPayment(") and "Decimal('4.56')" in shown


def test_every_customer_field_is_an_attribute() -> None:
    wire = {
        "partnerUserId": "u", "firstName": "Jane", "middleName": "Q", "lastName": "Doe",
        "birthday": "1980-12-31", "phoneNumber": "4085008000", "email": "j@example.com",
        "street": "1 A St", "street2": "Apt 1", "city": "San Jose", "state": "CA",
        "postalCode": "95101", "registrationDate": "2020-01-01", "status": "ACTIVE",
        "createdAt": "2021-04-01T19:58:11.651Z", "updatedAt": "2021-04-01T19:58:11.651Z",
    }
    customer = lean_sdk.Customer(wire)
    for key, value in wire.items():
        attribute = "".join("_" + c.lower() if c.isupper() else c for c in key)
        assert getattr(customer, attribute) == value, key

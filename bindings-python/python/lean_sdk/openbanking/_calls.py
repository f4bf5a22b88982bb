"""Each operation as the core's host-neutral JSON form of a call
(``{"operation": "getBalance", "input": {...}, "customerId": ...}``) and the
typed result its answer becomes. Shared by both clients; nothing is
validated here: the core does that, once, for every language."""

from __future__ import annotations

from .._models import ResultList
from ._models import Bank, Customer, CustomerPage, DataResult, Destination, Entity, Payment, PaymentIntent

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar

    T = TypeVar("T")
    Spec = Tuple[Dict[str, Any], Callable[[Any], T]]


def _body(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    """One mapping in the API's shape, keywords, or both (keywords win).
    The API's names are snake_case, so keywords are the wire names."""
    from collections.abc import Mapping

    if not fields:
        return {} if data is None else dict(data) if isinstance(data, Mapping) else data
    merged: Dict[str, Any] = {} if data is None else dict(data)
    merged.update(fields)
    return merged


def _entities(items: Any) -> ResultList[Entity]:
    return ResultList(Entity(e) for e in items)


def _destinations(items: Any) -> ResultList[Destination]:
    return ResultList(Destination(d) for d in items)


def create_customer(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[Customer]:
    return {"operation": "createCustomer", "input": _body(data, fields)}, Customer


def get_customer(customer_id: str) -> Spec[Customer]:
    return {"operation": "getCustomer", "customerId": customer_id}, Customer


def get_customer_by_app_user_id(app_user_id: str) -> Spec[Customer]:
    return {"operation": "getCustomerByAppUserId", "appUserId": app_user_id}, Customer


def list_customers(page_number: Optional[int], page_size: Optional[int]) -> Spec[CustomerPage]:
    return {"operation": "listCustomers", "pageNumber": page_number, "pageSize": page_size}, CustomerPage


def list_entities(customer_id: str) -> Spec[ResultList[Entity]]:
    return {"operation": "listEntities", "customerId": customer_id}, _entities


def get_entity(customer_id: str, entity_id: str) -> Spec[Entity]:
    return {"operation": "getEntity", "customerId": customer_id, "entityId": entity_id}, Entity


def data(operation: str, entity_id: str, account_id: Optional[str], asynchronous: bool) -> Spec[DataResult]:
    body: Dict[str, Any] = {"entity_id": entity_id, "async": asynchronous}
    if operation in ("getBalance", "getTransactions"):
        body["account_id"] = account_id
    return {"operation": operation, "input": body}, DataResult


def get_data_results(results_id: str) -> Spec[DataResult]:
    return {"operation": "getDataResults", "resultsId": results_id}, DataResult


def create_payment_intent(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[PaymentIntent]:
    return {"operation": "createPaymentIntent", "input": _body(data, fields)}, PaymentIntent


def get_payment_intent(payment_intent_id: str) -> Spec[PaymentIntent]:
    return {"operation": "getPaymentIntent", "paymentIntentId": payment_intent_id}, PaymentIntent


def create_payment_destination(data: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Spec[Destination]:
    return {"operation": "createPaymentDestination", "input": _body(data, fields)}, Destination


def list_payment_destinations() -> Spec[ResultList[Destination]]:
    return {"operation": "listPaymentDestinations"}, _destinations


def _banks(items: Any) -> ResultList[Bank]:
    return ResultList(Bank(b) for b in items)


def list_banks(account_types: Optional[str]) -> Spec[ResultList[Bank]]:
    return {"operation": "listBanks", "accountTypes": account_types}, _banks


def get_payment(payment_id: str) -> Spec[Payment]:
    return {"operation": "getPayment", "paymentId": payment_id}, Payment


def operation_name(name: str) -> str:
    """``create_payment_intent`` -> ``createPaymentIntent``; camelCase names
    pass unchanged."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)

"""HTTP routers: parse, authorize, call one service, return the schema."""

from fastapi import APIRouter

from app.db import UnitOfWorkRoute


def resource_router(prefix: str, tag: str) -> APIRouter:
    """A router whose requests each run in one unit of work."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=UnitOfWorkRoute)

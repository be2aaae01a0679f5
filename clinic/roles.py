"""The roles an account can have: one name per role, used by tables, services, routers and schemas."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["patient", "family", "staff"]
ROLES: tuple[Role, ...] = get_args(Role)

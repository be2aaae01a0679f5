"""The support screen as a layer over the patient's current screen: built once, kept, and shown.

"Get help now" must cost no more than the smallest round trip. Routed like the other screens, a tap
re-rendered the shell, removed the screen under it and sent the support screen's ~130 controls
over the wire, each time. Here the support screen is sent, hidden, once the session's first frame
is drawn, and kept up to date; a tap flips which layer is visible — a patch of two properties, ~70
bytes — and the screen under it keeps its state (scroll, typed text) for when Close brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.state.session import AppState
from app.ui.context import go, use_app
from app.ui.first_paint import use_after_first_frame
from app.ui.support import SupportScreen

SUPPORT_ROUTE = "/support"


@ft.component
def SupportBody() -> Any:
    """The support screen of the layer. Made by the patient's router (AppRouter) and handed down by
    `SupportBodyContext`, so the layer and the shell, re-rendering on a tap or a route change, hold
    the very same element and Flet skips it; it re-renders on its own data (AppState) and whenever
    the router is rebuilt. (Not `ft.memo`: a memoized component's children lose the way up to the
    session's contexts once its first instance is gone.)"""
    app = use_app()
    view = app.support_view

    def close() -> None:
        routed = view.at == SUPPORT_ROUTE  # opened by its address: Close goes where the patient was
        view.hide()
        if routed:
            go(app.support_return)

    return SupportScreen(on_close=close, counts_as_open=False)


SupportBodyContext: Any = ft.create_context(None)


@ft.component
def SupportLayer(outlet: Any) -> Any:
    """`outlet`: the routed screen. Shown instead of it while the support view is open on this route."""
    app = use_app()
    view = app.support_view
    ft.use_state(view)  # re-render on show/hide only (an observable held in a state hook)
    location = ft.use_route_location() or "/"
    body = ft.use_context(SupportBodyContext)
    # Not in the session's first frame (first paint waits for everything in it), nor while the
    # browser is still drawing it (its ~7 KB arrived ~30 ms after the first frame and was built
    # alongside it): added, hidden, AFTER_FIRST_FRAME_SECONDS later — or at once if the first thing
    # the patient does is open it (then it comes with that tap's reply, as any screen does).
    after_first_frame = use_after_first_frame(wait_outside_it=True)
    shown = view.open and view.at == location
    closer: Any = ft.use_ref(None)

    def follow_location() -> None:
        # Navigating away (a tab in the bar, the browser's Back, "Edit my plan") ends the support view.
        if view.open and view.at != location:
            view.hide()

    def track_open() -> None:
        # While it shows, the app never locks (AppState.support_shown); the count ends when it hides.
        if shown and closer.current is None:
            closer.current = app.support_shown()
        elif not shown:
            release()

    def release() -> None:
        done: Callable[[], None] | None = closer.current
        if done is not None:
            closer.current = None
            done()

    ft.use_effect(follow_location, dependencies=[location])
    ft.use_effect(track_open, dependencies=[shown])
    ft.on_unmounted(release)
    return ft.Column(
        expand=True,
        spacing=0,
        controls=[
            ft.Container(expand=True, visible=not shown, content=outlet),
            ft.Container(expand=True, visible=shown, content=body if shown or after_first_frame else None),
        ],
    )


@ft.component
def SupportRoute() -> Any:
    """`/support` by its address (a link, the browser's history, "Back to support" from the plan
    editor): shows the support layer there; the routed screen itself is empty."""
    app = use_app()
    ft.use_effect(lambda: app.support_view.show(SUPPORT_ROUTE), dependencies=[])
    return ft.Container(expand=True)


def open_support(app: AppState, location: str) -> None:
    """The support button: shown over the current screen, no route change (see the module)."""
    app.touch()
    if not location or location.startswith(SUPPORT_ROUTE):
        go(SUPPORT_ROUTE)  # from the plan editor: the support screen by its address
        return
    app.support_return = location  # where Close comes back to if the screen is left by its address
    app.support_view.show(location)

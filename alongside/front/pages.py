"""Rendering shared by every page: the navigation for the user's role."""

from django.shortcuts import render

from .navigation import items as nav_items


def render_page(request, template: str, context: dict):
    context["nav"] = nav_items(request)
    return render(request, template, context)

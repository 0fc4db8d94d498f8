"""Cursor pages: a stable walk through any number of rows (no count, no OFFSET), the next
and previous pages as opaque links."""

from rest_framework.pagination import CursorPagination


class CursorPages(CursorPagination):
    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 1000
    cursor_query_description = "Курсор страницы: из ссылки next или previous."
    page_size_query_description = "Строк на странице (до 1000)."
    invalid_cursor_message = "Неверный курсор страницы: возьмите ссылку next или previous."

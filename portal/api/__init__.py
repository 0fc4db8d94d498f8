"""The kernel of the REST API (Django REST framework): token sign-in, the per-token rate,
cursor pages, the scoped base views and the Russian error shape. Each app's endpoints are in
its own <app>/api/ (serializers.py, views.py, urls.py); config/urls.py mounts them at /api/."""

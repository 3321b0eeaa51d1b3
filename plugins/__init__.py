"""Built-in plugins. Each is registered through the ``commerce.plugins`` entry-point group,
exactly like a third-party plugin."""

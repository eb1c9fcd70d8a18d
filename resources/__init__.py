"""Icons, stylesheets and sounds, loaded with importlib.resources."""

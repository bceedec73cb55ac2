"""Importers that turn other collections of tactics into library modules."""

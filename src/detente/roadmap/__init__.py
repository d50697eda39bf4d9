"""Roadmap of cooperative measures, recommendations and the Framework for Future Engagement."""

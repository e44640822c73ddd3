"""What goes out: the brief, page views, charts, the big screen, exports, the template."""

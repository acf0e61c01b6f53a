/* Stands in for pydata-sphinx-theme's Font Awesome bundle (542 KB gzipped), which its layout always loads:
 * Sphinx lets html_static_path files replace a theme's static files of the same name. The icons the theme
 * shows are drawn by icons.css instead. */

/* Stands in for pydata-sphinx-theme's Font Awesome bundle (1.5 MB) in the published _static: Sphinx lets
 * html_static_path files replace a theme's static files of the same name. No page loads it (the course theme,
 * skintriage/theme, links no Font Awesome script); the icons the theme shows are drawn by icons.css. */

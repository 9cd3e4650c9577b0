// Shared by every page: the site's styles and KaTeX's (maths is rendered to HTML at build time).
import 'katex/dist/katex.min.css';
import './site.css';

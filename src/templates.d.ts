/** Template files are imported as text (esbuild and vite both read the `?raw` suffix). */
declare module "*.hbs?raw" {
  const text: string;
  export default text;
}
declare module "*.css?raw" {
  const text: string;
  export default text;
}
declare module "*.js?raw" {
  const text: string;
  export default text;
}

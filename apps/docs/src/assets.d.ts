// Vite's `?url` imports: the URL under which the built site serves the file.
declare module '*?url' {
  const url: string;
  export default url;
}

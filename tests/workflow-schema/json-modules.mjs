// The parser imports its schema as a bare JSON module (written for bundlers); Node needs the
// import attribute, which this load hook adds for .json files.
export async function load(url, context, nextLoad) {
  if (url.endsWith(".json")) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}

// Validates GitHub Actions workflow files offline with GitHub's own workflow template schema (the
// parser of actions/languageservices): the schema, expressions and the jobs' structure (needs, ...).
//   node tests/workflow-schema/validate.mjs <workflow.yml>...
// Prints "<file>: <error>" per problem and exits 1 when there is any; 2 on usage errors.
import { readFileSync } from "node:fs";
import { register } from "node:module";

register("./json-modules.mjs", import.meta.url);
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs <workflow.yml>...");
  process.exit(2);
}

let problems = 0;
for (const name of files) {
  let content;
  try {
    content = readFileSync(name, "utf8");
  } catch {
    console.error(`${name}: cannot read the file`);
    process.exit(2);
  }
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = [...parsed.context.errors.getErrors()];
  if (errors.length === 0 && parsed.value) {
    // The conversion checks what the schema alone cannot: job references, matrix, concurrency.
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => ({ message: e.Message ?? e.message })));
  }
  if (!parsed.value && errors.length === 0) {
    errors.push({ message: "the file is not a workflow" });
  }
  for (const error of errors) {
    console.log(`${name}: ${error.message}`);
    problems++;
  }
}
process.exit(problems === 0 ? 0 : 1);

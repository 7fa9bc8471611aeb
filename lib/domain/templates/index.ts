export { listTemplates } from "./list";
export { createTemplate } from "./create";
export { updateTemplate } from "./update";
export { deleteTemplate } from "./delete";
export { syncTemplates } from "./sync";
export { renderTemplateBody, scanTemplatePlaceholders } from "./render";
export * from "./schemas";

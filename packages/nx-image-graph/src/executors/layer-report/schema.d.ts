/** Options of the `layer-report` executor (see schema.json). Paths are workspace-relative. */
export interface LayerReportExecutorOptions {
  /** Image builds to report on: a project (all its builds, e.g. every variant) or `project:target` (one build). All image builds when absent. */
  projects?: string[];
  /** Also report the workspace images the selected ones are built on, transitively. */
  ancestors?: boolean;
  /** Where the report goes as JSON. */
  outputFile?: string;
  /** When an image's history leaves some layer sizes open, read its config from `docker save` (slow for big images). */
  resolveWithSave?: boolean;
}

export interface InitGeneratorSchema {
  /** nx.json plugin `include` globs; default: the top-level directories that hold Dockerfiles, else `images/**`. */
  include?: string[];
  skipFormat?: boolean;
}

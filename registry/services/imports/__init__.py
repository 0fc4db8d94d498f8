"""Taking in an authority's registry spreadsheet, in steps: `parse` (rows of the sheet ->
entries with the catalogue's values), `links` (column 12 -> links to rows of the file, the
registry or another authority's registry), `preview` (entries compared with the registry),
`write` (the confirmed entries in one transaction). `registry.services.xlsx_import` puts them
together behind the portal's import protocol (`portal.imports`)."""

"""GeoIP test databases (GeoLite2-ASN/City/Country.mmdb) and their JSON sources; see NOTICE."""

"""The ecosystem's facts as data, each table with its source, apart from the code that reads them."""

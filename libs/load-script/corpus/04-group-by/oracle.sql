-- table: ByRegion
WITH s AS (SELECT * FROM read_csv('FILES/data/sales.csv', header = true))
SELECT Region,
       SUM(Qty * Price) AS Revenue,
       COUNT(Product) AS Lines,
       COUNT(DISTINCT Product) AS Products,
       MIN(Price) AS MinPrice,
       MAX(Price) AS MaxPrice,
       AVG(Qty) AS AvgQty,
       MIN(Product) AS FirstProduct,
       MAX(Product) AS LastProduct,
       arg_min(Product, Line) AS FirstSold,
       arg_max(Product, Line) AS LastSold,
       (SELECT string_agg(p, '|' ORDER BY w) FROM (SELECT Product AS p, MIN(Line) AS w FROM s s2 WHERE s2.Region = s.Region GROUP BY Product)) AS ProductList
FROM s GROUP BY Region;
-- table: ByRegionProduct
SELECT Region AS R2, Product AS P2, SUM(Qty) AS Units, Region AS OnlyRegion
FROM read_csv('FILES/data/sales.csv', header = true) WHERE Price >= 2 GROUP BY Region, Product;
-- table: Totals
SELECT SUM(Qty) AS TotalQty, COUNT(*) AS Records, AVG(Price) AS AvgPrice FROM read_csv('FILES/data/sales.csv', header = true);

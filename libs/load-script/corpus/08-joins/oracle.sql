-- table: Orders
SELECT o.OrderID, o.CustID, o.Amount, c.Name
FROM read_csv('FILES/data/orders.csv', header = true) o LEFT JOIN read_csv('FILES/data/customers.csv', header = true) c ON o.CustID = c.CustID;
-- table: Matched
SELECT o.OrderID AS MOrder, o.CustID AS MCust, c.Country AS MCountry
FROM read_csv('FILES/data/orders.csv', header = true) o JOIN read_csv('FILES/data/customers.csv', header = true) c ON o.CustID = c.CustID;
-- table: Everything
SELECT COALESCE(o.CustID, c.CustID) AS OCust, o.Amount AS OAmount, c.Name AS OName
FROM read_csv('FILES/data/orders.csv', header = true) o FULL OUTER JOIN read_csv('FILES/data/customers.csv', header = true) c ON o.CustID = c.CustID;
-- table: Places
SELECT COALESCE(p.Country, c.Country) AS RCountry, p.Region AS RRegion, c.Name AS RName
FROM read_csv('FILES/data/countries.csv', header = true) p RIGHT JOIN read_csv('FILES/data/customers.csv', header = true) c ON p.Country = c.Country;
-- table: Grid
SELECT p.Region AS XRegion, q.Quarter FROM read_csv('FILES/data/countries.csv', header = true) p CROSS JOIN (VALUES (1), (2)) q(Quarter);

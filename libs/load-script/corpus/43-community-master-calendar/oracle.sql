-- table: MasterCalendar ordered
WITH o AS (SELECT CAST(OrderDate AS DATE) AS d FROM read_csv('FILES/data/orders.csv', header = true)),
     days AS (SELECT CAST(range AS DATE) AS dt FROM range((SELECT MIN(d) FROM o), (SELECT MAX(d) FROM o) + INTERVAL 1 DAY, INTERVAL 1 DAY))
SELECT date_diff('day', DATE '1899-12-30', dt) AS OrderDate__num, strftime(dt, '%Y-%m-%d') AS OrderDate__text,
       weekofyear(dt) AS Week,
       year(dt) AS Year,
       month(dt) AS Month__num, strftime(dt, '%b') AS Month__text,
       day(dt) AS Day,
       'Q' || CAST(quarter(dt) AS VARCHAR) AS Quarter,
       date_diff('day', DATE '1899-12-30', CAST(date_trunc('month', dt) AS DATE)) AS MonthYear__num, strftime(dt, '%b-%Y') AS MonthYear__text
FROM days ORDER BY dt;

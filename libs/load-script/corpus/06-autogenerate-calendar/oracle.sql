-- table: Calendar ordered
WITH d AS (SELECT CAST(DATE '2023-12-25' + CAST(i AS INTEGER) AS DATE) AS dt, i FROM range(400) t(i))
SELECT date_diff('day', DATE '1899-12-30', dt) AS Date__num, strftime(dt, '%Y-%m-%d') AS Date__text,
       year(dt) AS Year,
       month(dt) AS Month__num, strftime(dt, '%b') AS Month__text,
       day(dt) AS Day,
       weekofyear(dt) AS Week,
       CAST(strftime(dt, '%U') AS INTEGER) + CASE WHEN dayofweek(make_date(year(dt), 1, 1)) = 0 THEN 0 ELSE 1 END AS WeekUS,
       isodow(dt) - 1 AS WeekDay__num, strftime(dt, '%a') AS WeekDay__text,
       date_diff('day', DATE '1899-12-30', CAST(date_trunc('month', dt) AS DATE)) AS MonthStart__num, strftime(date_trunc('month', dt), '%Y-%m-%d') AS MonthStart__text,
       date_diff('day', DATE '1899-12-30', last_day(dt)) + 1 - 1 / 86400000 AS MonthEnd__num, strftime(last_day(dt), '%Y-%m-%d') AS MonthEnd__text,
       date_diff('day', DATE '1899-12-30', make_date(year(dt), 1, 1)) AS YearStart__num, strftime(make_date(year(dt), 1, 1), '%Y-%m-%d') AS YearStart__text,
       date_diff('day', DATE '1899-12-30', CAST(dt + INTERVAL 1 MONTH AS DATE)) AS NextMonth__num, strftime(CAST(dt + INTERVAL 1 MONTH AS DATE), '%Y-%m-%d') AS NextMonth__text
FROM d ORDER BY i;

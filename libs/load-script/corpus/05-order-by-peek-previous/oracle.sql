-- table: Running ordered
SELECT Account, Day, Amount,
       SUM(Amount) OVER (PARTITION BY Account ORDER BY Day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS Balance,
       row_number() OVER (ORDER BY Account, Day) AS Seq
FROM read_csv('FILES/data/tx.csv', header = true)
ORDER BY Account, Day;
-- table: Latest ordered
SELECT Account AS LastAccount, Day AS LastDay FROM read_csv('FILES/data/tx.csv', header = true) ORDER BY Day DESC, Account;

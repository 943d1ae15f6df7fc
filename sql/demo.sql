-- The crm_ext showcase on the FLO data (run by `make demo`).
\pset footer on
\echo
\echo '### crm_ext' 
SELECT crm_version() AS crm_ext_version;

\echo '### FLO: customers loaded'
SELECT count(*) AS flo_customers,
       min(first_order_date) AS first_order_from, max(last_order_date) AS last_order_to
FROM flo_customers;

\echo '### FLO: a sample of the loaded rows (first and last in file order)'
(SELECT file_order, master_id, order_channel, first_order_date, last_order_date,
        order_num_total_ever_online AS online_orders, order_num_total_ever_offline AS offline_orders,
        customer_value_total_ever_online AS online_value, customer_value_total_ever_offline AS offline_value,
        interested_in_categories_12 AS categories
 FROM flo_customers ORDER BY file_order LIMIT 3)
UNION ALL
(SELECT file_order, master_id, order_channel, first_order_date, last_order_date,
        order_num_total_ever_online, order_num_total_ever_offline,
        customer_value_total_ever_online, customer_value_total_ever_offline, interested_in_categories_12
 FROM flo_customers ORDER BY file_order DESC LIMIT 2)
ORDER BY file_order;

\ir demo/rfm.sql
\ir demo/cltv.sql
\ir demo/insights.sql

-- queries.sql - the three documented token-protection queries (queries/*.kql)
-- as DuckDB SQL with the same semantics, for bench/run. Each query starts
-- with a line `-- name: FILE.kql`; {FILE} is the JSON Lines file and {AGO7D}
-- the datetime 7 days before --now (ago(7d)), as DuckDB timestamp text.
--
-- How KQL's semantics are kept:
--   TimeGenerated > ago(7d)   TIMESTAMP_NS: Kusto's datetimes have 100 ns
--                             ticks, and the data has rows 100 ns apart
--                             around ago(7d)
--   string columns            a missing value is "" in KQL, NULL here:
--                             coalesce(x, '')
--   mv-expand todynamic(X)    unnest of json_extract(X, '$[*]') for arrays;
--                             rows whose X is not an array cannot pass the
--                             next where (their element is null or a scalar
--                             with no "enforcedSessionControls")
--   d contains 's'            tostring(d) (compact JSON, json_extract's text)
--                             contains s, case-insensitively (lower on both)
--   d.result != "x"           null != "x" is true in KQL
--   summarize by ...          SELECT DISTINCT
--   dcount / dcountif         count(DISTINCT ...) (exact; Kusto estimates,
--                             kql counts exactly)
--   round(x, 2)               half away from zero, as both do on doubles
--   tostring(d.code) == 1003  the code's text compared as a number

-- name: token-protection-per-app.kql
WITH rows AS (
    SELECT Id, coalesce(ConditionalAccessPolicies, '') AS cap, coalesce(UserPrincipalName, '') AS upn,
           coalesce(AppDisplayName, '') AS app, coalesce(ResourceDisplayName, '') AS res
    FROM read_json('{FILE}', format = 'newline_delimited',
                   columns = {TimeGenerated: 'TIMESTAMP_NS', Id: 'VARCHAR', ConditionalAccessPolicies: 'VARCHAR',
                              Status: 'VARCHAR', UserPrincipalName: 'VARCHAR', AppDisplayName: 'VARCHAR',
                              ResourceDisplayName: 'VARCHAR'})
    WHERE TimeGenerated > TIMESTAMP_NS '{AGO7D}'
),
kept AS (
    SELECT * FROM rows
    WHERE cap <> '[]'
      AND (res = 'Office 365 Exchange Online' OR res = 'Office 365 SharePoint Online')
      AND json_valid(cap) AND json_type(cap) = 'ARRAY'
),
elements AS (
    SELECT Id, upn, app, unnest(json_extract(cap, '$[*]')) AS e FROM kept
),
matched AS (
    SELECT Id, upn, app,
           CASE WHEN strpos(lower(coalesce(json_extract(e, '$.sessionControlsNotSatisfied')::VARCHAR, '')),
                            'signintokenprotection') > 0 THEN 'Block' ELSE 'Allow' END AS result
    FROM elements
    WHERE (strpos(lower(coalesce(json_extract(e, '$.enforcedSessionControls')::VARCHAR, '')), '["binding"]') > 0
           OR strpos(lower(coalesce(json_extract(e, '$.enforcedSessionControls')::VARCHAR, '')),
                     '["signintokenprotection"]') > 0)
      AND (json_extract_string(e, '$.result') IS NULL OR json_extract_string(e, '$.result') <> 'reportOnlyNotApplied')
      AND (json_extract_string(e, '$.result') IS NULL OR json_extract_string(e, '$.result') <> 'notApplied')
),
signins AS (SELECT DISTINCT Id, upn, app, result FROM matched)
SELECT app AS AppDisplayName, count(*) AS Requests, count(DISTINCT upn) AS Users,
       count_if(result = 'Block') AS Block, count_if(result = 'Allow') AS Allow,
       count(DISTINCT CASE WHEN result = 'Block' THEN upn END) AS BlockedUsers,
       round(100.0 * count_if(result = 'Allow') / (count_if(result = 'Allow') + count_if(result = 'Block')), 2)
           AS PctAllowed
FROM signins GROUP BY app ORDER BY Requests DESC;

-- name: token-protection-per-user.kql
WITH rows AS (
    SELECT Id, coalesce(ConditionalAccessPolicies, '') AS cap, coalesce(UserPrincipalName, '') AS upn,
           coalesce(AppDisplayName, '') AS app, coalesce(ResourceDisplayName, '') AS res
    FROM read_json('{FILE}', format = 'newline_delimited',
                   columns = {TimeGenerated: 'TIMESTAMP_NS', Id: 'VARCHAR', ConditionalAccessPolicies: 'VARCHAR',
                              UserPrincipalName: 'VARCHAR', AppDisplayName: 'VARCHAR',
                              ResourceDisplayName: 'VARCHAR'})
    WHERE TimeGenerated > TIMESTAMP_NS '{AGO7D}'
),
kept AS (
    SELECT * FROM rows
    WHERE cap <> '[]'
      AND (res = 'Office 365 Exchange Online' OR res = 'Office 365 SharePoint Online')
      AND json_valid(cap) AND json_type(cap) = 'ARRAY'
),
elements AS (
    SELECT Id, upn, app, res, unnest(json_extract(cap, '$[*]')) AS e FROM kept
),
matched AS (
    SELECT Id, upn, app, res,
           CASE WHEN strpos(lower(coalesce(json_extract(e, '$.sessionControlsNotSatisfied')::VARCHAR, '')),
                            'signintokenprotection') > 0 THEN 'Block' ELSE 'Allow' END AS result
    FROM elements
    WHERE (strpos(lower(coalesce(json_extract(e, '$.enforcedSessionControls')::VARCHAR, '')), '["binding"]') > 0
           OR strpos(lower(coalesce(json_extract(e, '$.enforcedSessionControls')::VARCHAR, '')),
                     '["signintokenprotection"]') > 0)
      AND (json_extract_string(e, '$.result') IS NULL OR json_extract_string(e, '$.result') <> 'reportOnlyNotApplied')
      AND (json_extract_string(e, '$.result') IS NULL OR json_extract_string(e, '$.result') <> 'notApplied')
),
signins AS (SELECT DISTINCT Id, upn, app, res, result FROM matched)
SELECT upn AS UserPrincipalName, app AS AppDisplayName, res AS ResourceDisplayName, count(*) AS Requests,
       count_if(result = 'Block') AS Block, count_if(result = 'Allow') AS Allow,
       round(100.0 * count_if(result = 'Allow') / (count_if(result = 'Allow') + count_if(result = 'Block')), 2)
           AS PctAllowed
FROM signins GROUP BY upn, app, res ORDER BY upn ASC;

-- name: token-protection-unsupported-devices.kql
SELECT coalesce(UserPrincipalName, '') AS UserPrincipalName, count(*) AS count_
FROM read_json('{FILE}', format = 'newline_delimited',
               columns = {TimeGenerated: 'TIMESTAMP_NS', TokenProtectionStatusDetails: 'VARCHAR',
                          UserPrincipalName: 'VARCHAR'})
WHERE TimeGenerated > TIMESTAMP_NS '{AGO7D}'
  AND coalesce(TokenProtectionStatusDetails, '') <> ''
  AND json_valid(TokenProtectionStatusDetails)
  AND TRY_CAST(json_extract(TokenProtectionStatusDetails, '$.signInSessionStatusCode')::VARCHAR AS DOUBLE) = 1003
GROUP BY 1;

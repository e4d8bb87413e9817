-- A post's text and its address on the platform (sqlite). Kept in step with ../postgres/0095_post_text.sql.
--
-- Both optional: the canonical posts CSV may carry `text` and `url` columns (PRODUCT.md lets a
-- file hold extra columns), and the analytics page shows them beside the best and worst posts
-- so a person recognises a post without opening the platform. Nothing computes with them.
ALTER TABLE posts ADD COLUMN text TEXT;
ALTER TABLE posts ADD COLUMN url TEXT;

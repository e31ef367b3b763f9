/** Reading documents (PDF, Markdown, text) page by page and cutting them into chunks, for ingestion and attachments. */
package dev.jerry.knowledge.document;

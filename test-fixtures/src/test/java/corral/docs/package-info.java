/**
 * The translated documentation kept in step with the English: each Chinese document has the same
 * outline (headings, level by level, in order) as the English document it renders, so a section
 * added in English fails the build until it is translated.
 */
package corral.docs;

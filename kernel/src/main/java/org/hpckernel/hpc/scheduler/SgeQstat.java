package org.hpckernel.hpc.scheduler;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads {@code qstat -xml}: one {@code <job_list>} element per job, per running array task, and
 * per group of pending tasks ({@code <tasks>2-4:1</tasks>}), under {@code <queue_info>} (running)
 * or {@code <job_info>} (pending). Unlike the plain listing, names are not cut to 10 characters.
 */
final class SgeQstat {
    private SgeQstat() {}

    /** One job_list element; {@code tasks} is null for a plain job. */
    record Row(String jobNumber, String name, String owner, String state, String queue, String tasks) {
        /** The host of {@code all.q@vm}, or null while pending. */
        String host() {
            if (queue == null) {
                return null;
            }
            int at = queue.indexOf('@');
            return at < 0 || at == queue.length() - 1 ? null : queue.substring(at + 1);
        }
    }

    static List<Row> parse(String xml) throws SchedulerException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            String head = xml.strip();
            if (head.length() > 300) {
                head = head.substring(0, 300) + "...";
            }
            throw new SchedulerException("qstat -xml printed something that is not XML (" + e.getMessage() + "): "
                    + head, false);
        }
        List<Row> rows = new ArrayList<>();
        NodeList jobs = doc.getElementsByTagName("job_list");
        for (int i = 0; i < jobs.getLength(); i++) {
            Element e = (Element) jobs.item(i);
            String number = text(e, "JB_job_number");
            if (number == null || number.isEmpty()) {
                continue;
            }
            rows.add(new Row(number, text(e, "JB_name"), text(e, "JB_owner"), text(e, "state"),
                    emptyToNull(text(e, "queue_name")), emptyToNull(text(e, "tasks"))));
        }
        return rows;
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child && child.getTagName().equals(tag)) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The task ids of a qstat task spec: {@code 3}, {@code 2-4:1}, {@code 1-9:2}, or a comma list
     * of those; at most {@code limit} of them (a spec that is bigger or unreadable gives an
     * empty list).
     */
    static List<Integer> taskIds(String spec, int limit) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String item : spec.split(",")) {
                int step = 1;
                int colon = item.indexOf(':');
                if (colon >= 0) {
                    step = Integer.parseInt(item.substring(colon + 1).strip());
                    item = item.substring(0, colon);
                }
                int dash = item.indexOf('-');
                int from = Integer.parseInt((dash < 0 ? item : item.substring(0, dash)).strip());
                int to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).strip());
                if (step < 1 || to < from) {
                    return List.of();
                }
                for (long t = from; t <= to; t += step) {
                    if (out.size() >= limit) {
                        return List.of();
                    }
                    out.add((int) t);
                }
            }
        } catch (NumberFormatException e) {
            return List.of();
        }
        return out;
    }
}

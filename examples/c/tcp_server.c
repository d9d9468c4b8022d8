/* Seed 004, "TCP/IP: TCP at The Server", as the slide writes it (with its error checks kept and
 * the address printed readably too). The twin of examples/tcp-server.ts.
 * Usage: tcp_server [port=2021] [address=127.0.0.1] [clients=0: forever] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What the slide's printf("%d:%d", sin.sin_addr, sin.sin_port) shows, then the readable form. */
static void print_address(const char *what, const struct sockaddr_in *sin) {
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
  printf("%s %d:%d (%s:%d)\n", what, (int)sin->sin_addr.s_addr, sin->sin_port, text, ntohs(sin->sin_port));
  fflush(stdout);
}

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 2021;
  const char *address = argc > 2 ? argv[2] : "127.0.0.1";
  int clients = argc > 3 ? atoi(argv[3]) : 0;

  int domain = AF_INET;    /* Network Protocol: TCP/IP */
  int type = SOCK_STREAM;  /* Connection-Oriented */
  int protocol = 0;        /* Default transport: TCP for Internet connection-oriented */
  int server_sd = socket(domain, type, protocol);
  if (server_sd == -1) {
    printf("error in creating socket for The Server!\n");
    exit(1);
  }
  printf("socket has created for The Server with sd:%d\n", server_sd);

  struct sockaddr_in server_sin;
  memset(&server_sin, 0, sizeof server_sin);
  server_sin.sin_family = domain;
  server_sin.sin_addr.s_addr = inet_addr(address);
  server_sin.sin_port = htons(port);
  if (bind(server_sd, (struct sockaddr *)&server_sin, sizeof(server_sin)) == -1) {
    print_address("error in binding The Server to the address:port =", &server_sin);
    perror("bind");
    exit(1);
  }
  if (listen(server_sd, 5) < 0) { /* The Server ready to receive calls (up to 5 calls) */
    perror("The Server's listening failed!\n");
    exit(1);
  }
  /* Printed once listening (the slide prints it right after bind), so a client started when this
   * line appears always finds the server ready. */
  socklen_t len = sizeof server_sin;
  getsockname(server_sd, (struct sockaddr *)&server_sin, &len); /* port 0: the one the kernel picked */
  print_address("The Server bound to the address:port =", &server_sin);

  for (int served = 0; clients == 0 || served < clients; served++) {
    struct sockaddr_in client_sin; /* I want to know who send the message */
    socklen_t client_sin_len = sizeof client_sin;
    int result = accept(server_sd, (struct sockaddr *)&client_sin, &client_sin_len);
    if (result == -1) {
      perror("error in opening the request from client");
      continue; /* Do not exit. Go for the next client call */
    }
    print_address("The Server opened the request from client", &client_sin);
    char msg[11] = {0};
    recv(result, msg, 10, 0);
    printf("%s\n", msg);
    fflush(stdout);
    send(result, "hello back", 11, 0);
    close(result);
  }
  close(server_sd);
  return 0;
}
